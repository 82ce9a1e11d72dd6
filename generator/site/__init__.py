"""The site layer: what each site is and how its pages are made. The model through Jinja2 templates
(templates/) into Markdown (render), the feeds and calendars, data fields' Markdown (datamd), the
word-by-word comparisons (textdiff), the planner that says what each site of a build is (planner),
the MkDocs adapter (mkdocs_adapter, pagerender, pagereuse) and the Markdown extensions MkDocs loads
by name (mdsafe, mdfragments, mdinline, mdtables). It may import domain/, the top-level escape module and the
engine (its specs, cache keys and sealed bytecode cache); it imports nothing of commands/."""
