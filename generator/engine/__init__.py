"""The engine layer: builds any set of sites. Cache keys and reuse, sealing what is read back (cache),
the search index (index) and progress reporting (progress); the workers and atomic publishing join it
when build.py is split. It knows no regions: it may import the standard library, its tools and the
top-level escape module, not domain/ or commands/ (index.py still takes the output's reserved folder
names from site/outputs.py)."""
