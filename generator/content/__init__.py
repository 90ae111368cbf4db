"""What the author wrote: the department file read into a typed model, and the site's configuration."""
