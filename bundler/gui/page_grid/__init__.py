"""The page grid: a document's pages as thumbnails, to delete, reorder, turn and extract."""
