"""Readers' languages: gettext catalogs for the public pages, locale negotiation, site default."""
