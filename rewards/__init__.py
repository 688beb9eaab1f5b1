"""reasonrl.rewards (see DESIGN.md)."""
