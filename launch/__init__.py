"""reasonrl.launch (see DESIGN.md)."""
