"""reasonrl.trainer (see DESIGN.md)."""
