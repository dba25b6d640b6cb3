"""Jinja filters the template uses at bake time (loaded through ``_extensions``)."""
