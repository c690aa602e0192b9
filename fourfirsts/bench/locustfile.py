"""Locust users for `bench run`: each opens a 营商码's public form once (for
the CSRF cookie and token), then submits appeals as fast as the server
answers. Run by measure_intake.py; the codes' paths and the marker put in
every title and description come in the environment. No Django here."""

import os
import re
import secrets
from itertools import count

from locust import HttpUser, task

PATHS = os.environ["FOURFIRSTS_BENCH_INTAKE_PATHS"].split(",")
MARKER = os.environ["FOURFIRSTS_BENCH_MARKER"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACKNOWLEDGED = 'id="ack-ref"'  # the acknowledgement page; the form again means it was refused
users = count()


class Submitter(HttpUser):
    def on_start(self):
        self.path = PATHS[next(users) % len(PATHS)]
        page = self.client.get(self.path, name="form")
        found = TOKEN.search(page.text)
        self.csrf = found.group(1) if found else ""

    @task
    def submit(self):
        data = {
            "csrfmiddlewaretoken": self.csrf,
            "contact_name": "张三",
            "contact_phone": "13900001111",
            "category": "logistics",
            "kind": "coordination",
            "title": f"物流通道受阻 {MARKER}",
            "description": f"园区货车通行证办理周期长，影响正常发货。{MARKER}",
            "consent": "on",
            "website": "",
            "key": secrets.token_urlsafe(18),
        }
        with self.client.post(self.path, data=data, name="submit", catch_response=True,
                              headers={"Referer": self.client.base_url + self.path}) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif ACKNOWLEDGED not in response.text:
                response.failure("not acknowledged")
