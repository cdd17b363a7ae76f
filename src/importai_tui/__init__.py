"""importai-tui: read the Import AI newsletter in the terminal."""

__version__ = "0.1.0"
