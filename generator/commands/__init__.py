"""The commands other than build and validate: diff between git revisions (govdiff), new regions,
agreements and versions (scaffold), the YAML formatter (fmt) and the local preview (serve). A command
may import every other layer and the top-level pipeline and build; no other layer imports a command
(only cli.py, which dispatches to them)."""
