"""Pure-Python core: parsing, storage and search. Nothing here imports textual."""
