"""The read-only JSON API, /api/v1/: what the public site shows, for machines.

Django REST framework serves it (serializers, cursor pagination, throttling) and drf-spectacular
describes it (OpenAPI 3 at /api/v1/schema/, rendered at /api/v1/docs/). Only what the public
may read: ``Place.objects.listed()``, ``Report.objects.published()``, public charter versions,
signatures of listed places, and the observatory's summary rows.
"""
