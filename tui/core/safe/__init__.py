"""What every way in and every way out goes through: masking, terminal-safe text, bounded
JSON, nesting depth, files that cannot be redirected."""
