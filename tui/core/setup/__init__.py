"""What to diagnose and where we write: config, profiles, keys, presets, target, state."""
