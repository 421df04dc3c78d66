"""The screens of the player; each is imported only when first shown, to keep startup light."""
