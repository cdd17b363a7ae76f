"""The Textual reader: an app, its screens and widgets (the only place that imports textual)."""
