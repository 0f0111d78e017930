"""The ``litmash`` command: ``main`` holds the app, one module per command group."""
