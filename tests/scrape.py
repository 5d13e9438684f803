"""GET a serving process's /healthz, /readyz and /metrics over real HTTP, and read /metrics with Prometheus' own
parser."""

from __future__ import annotations

import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def get(url: str) -> tuple[int, str, str]:
    """Status, Content-Type and body of ``GET url``."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode("utf-8")


def samples(text: str) -> dict[str, float]:
    """Every sample of a /metrics page, by name and labels as Prometheus writes them: ``name{a="b"}``."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return found


def scrape(base: str) -> dict[str, float]:
    status, content_type, body = get(f"{base}/metrics")
    assert status == 200 and content_type.startswith("text/plain; version=0.0.4"), (status, content_type)
    return samples(body)
