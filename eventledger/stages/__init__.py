"""The pipeline's stages, one module each; see `eventledger.pipeline` for their order."""
