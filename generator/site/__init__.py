"""The site layer: what each site is and how its pages are made. The model through Jinja2 templates
(templates/) into Markdown (render), the feeds and calendars, data fields' Markdown (datamd), the
word-by-word comparisons (textdiff), the MkDocs adapter (pagerender, pagereuse) and the Markdown
extensions MkDocs loads by name (mdsafe, mdfragments, mdinline). It may import domain/, the top-level
escape module and engine/cache.py's sealed bytecode cache; it imports nothing of commands/."""
