"""What a form is, as data: table layouts, code catalogues, province profiles, glossaries, chart kinds."""
