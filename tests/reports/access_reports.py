"""Access expectations of the reports app's pages (merged into tests/test_access_matrix.py)."""

from tests.access_codes import ORG_READERS, every, only, roles

LEADERS = ["committee", "leader"]

EXPECT: dict[str, dict[str, int]] = {
    "reports:dashboard": roles(200, ORG_READERS, 403),
    "reports:figure": roles(200, ORG_READERS, 403),
    "reports:annual": roles(200, ORG_READERS, 403),
    "reports:annual_render": every(405),
    "reports:annual_publish": every(405),
    # A rendered file belongs to whoever asked for it; to anyone else it does not exist.
    "reports:download": only({"committee": 200}, 404),
    "reports:published_list": roles(200, LEADERS, 403),
    "reports:published_detail": roles(200, LEADERS, 403),
    "reports:published_file": roles(200, LEADERS, 403),
}


def kwargs_for(name, world, cast):
    from fourfirsts.core import progress
    from fourfirsts.core.actors import Actor
    from fourfirsts.reports import services, tasks

    if name == "reports:figure":
        return {"figure_id": "F06"}
    if name == "reports:download":
        key = progress.new_key()
        progress.start(key, owner_id=cast.committee.pk, label="测试")
        tasks.render_report.call(key, cast.committee.pk, 2022, "txt")
        return {"key": key}
    published = services.report_publish(actor=Actor.system(), year=2022, formats_=("txt",))
    if name == "reports:published_file":
        return {"pk": published.pk, "fmt": "txt"}
    return {"pk": published.pk}
