"""Pure logic of gateway-doctor. Nothing under this package may import textual."""
