"""The review engine: catalogue, diff, source tree, detectors and reports. No network I/O here."""
