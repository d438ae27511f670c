"""Settings, read once from the environment."""

import os

DATABASE_URL = os.environ["DATABASE_URL"]
PAYMENTS_URL = os.environ.get("PAYMENTS_URL", "http://localhost:9000")
