"""The hybrid passage index: dense (FAISS) and sparse (character n-gram TF-IDF), fused."""
