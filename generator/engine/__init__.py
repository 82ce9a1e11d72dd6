"""The engine layer: builds any set of sites from their specs (spec), knowing no regions and no MkDocs:
the build (run), worker processes (workers), atomic publishing with the spare and trash (publish),
cache keys and sealed files (cache), the search index (index) and progress reporting (progress). It
may import the standard library, its tools and the top-level escape module, never domain/, site/ or
commands/: the builder (the MkDocs adapter) is passed in."""
