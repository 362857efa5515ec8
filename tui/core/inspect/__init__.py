"""The exchange inspector's model: ordering, filtering, formatting, exports."""
