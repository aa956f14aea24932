"""The portal with the floor page (bench/scale_site.py), as gunicorn serves it in
`bench/scale.py --http` mode: `bench.scale_wsgi:application`."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zelfsturing.settings_test")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

settings.ROOT_URLCONF = "bench.scale_site"
settings.DEBUG = False
application = get_wsgi_application()

from bench.scale_site import set_random_page_cost  # noqa: E402

set_random_page_cost(os.environ.get("BENCH_RANDOM_PAGE_COST", "server"))
