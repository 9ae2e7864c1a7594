"""A fictional network for development, demos and benchmarks (``manage.py seed_demo``)."""
