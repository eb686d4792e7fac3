"""The public web service: FastAPI app made by :func:`api.main.create_app`."""
