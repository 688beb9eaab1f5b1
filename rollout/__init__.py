"""reasonrl.rollout (see DESIGN.md)."""
