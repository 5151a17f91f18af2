"""The command-line shell: parses arguments, calls the core, prints, and sets the exit code."""
