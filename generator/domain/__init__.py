"""The domain layer: the regions. YAML with positions (load) -> validation (validate) -> the typed model
(model), with the data format (schema), what changed over time (changes, history), the words for each
value (labels), derived facts and the findings that point at a file and line. It may import the standard
library, the third-party parsers and validators, the top-level escape and files modules and itself; it
imports nothing of site/, engine/ or commands/, and knows nothing of the build's caches and workers.
What depends on the site (the folder names the portal uses itself, which no region may take) is passed
in by the caller (pipeline.py); history.py keeps what it read of old commits in a folder the caller
names, written through files.py.

Modules: load (the step's public face) with yaml_reader, limits, text_rule and sources; schema (the
data format: one class per file kind, FILE_KINDS); validate with structure (one file against its
kind), registry and rules (the named rules between fields and files); model (ValidRegion, the
region and its state on a date, version_in_force, the statuses) with gaps (the completeness check);
changes, history, labels, facts, findings, suggest, pickling."""
