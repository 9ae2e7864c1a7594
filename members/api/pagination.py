"""Cursor pagination: stable pages while places join or leave, one query per page (no count)."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "pk"


class BySlug(Cursor):
    ordering = "slug"  # unique: the cursor is the last slug seen


class ByCode(Cursor):
    ordering = "verification_code"
