"""The domain layer: the regions. YAML with positions (load) -> validation (validate) -> the typed model
(model), with the data format (schema), what changed over time (changes, history), the words for each
value (labels), derived facts and the findings that point at a file and line. It may import the standard
library, the third-party parsers and validators, the top-level escape module and itself; it imports
nothing of site/, engine/ or commands/ (two imports still cross that line and are to move: validate.py
takes the output's reserved folder names from site/outputs.py, history.py writes its cache file through
engine/cache.py's replace_file)."""
