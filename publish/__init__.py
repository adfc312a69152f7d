"""Building, checking and publishing the site: the code behind the invoke tasks."""
