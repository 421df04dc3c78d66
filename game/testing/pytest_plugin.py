"""pytest plugin: collects `*.playthrough.yaml` files as tests."""
