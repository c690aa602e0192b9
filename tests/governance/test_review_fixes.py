"""Review findings of issue 6: files of establishment steps and instructor
logs are listed and downloadable, edits keep their checks, settings in force
on the day apply, and figures count at their boundaries."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fourfirsts.core import attachments
from fourfirsts.core.models import Attachment
from fourfirsts.governance import services
from fourfirsts.governance.models import EstablishmentStep, InstructorLog
from fourfirsts.registry.models import AssociationStatus, InstructorAssignment, PartyOrg
from tests.governance.conftest import SYSTEM, new_association

S = EstablishmentStep.Step


def _upload(name):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def test_establishment_step_files_are_listed_and_download_in_scope(world, cast, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    prep = new_association("娄底经开区电力局协会", founded=date(2022, 3, 1), status=AssociationStatus.Status.PREPARING)
    est = services.establishment_create(actor=SYSTEM, values={
        "association": prep, "registered_on": date(2022, 3, 1), "org_name": "电力局协会党支部",
        "org_kind": PartyOrg.Kind.BRANCH, "parent": world.committee_org})
    step = services.establishment_step_record(actor=SYSTEM, establishment=est, step=S.COMMITMENT,
                                              done_on=date(2022, 3, 2))
    att = attachments.attach(owner=step, upload=_upload("承诺书.pdf"), actor=SYSTEM, purpose="evidence")
    committee = client_for(cast.committee)
    page = committee.get(reverse("governance:establishment_detail", args=[est.pk])).content.decode()
    link = reverse("core:attachment", args=[att.token])
    assert "承诺书.pdf" in page and link in page
    assert committee.get(link).status_code == 200
    assert client_for(cast.secretary_a).get(link).status_code == 404  # another association's record


def test_instructor_log_files_are_listed_and_rows_link_only_for_editors(world, cast, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    own = InstructorAssignment.objects.get(person=world.instructor, association=world.assoc_a)
    log = services.instructor_log_save(actor=SYSTEM, values={
        "assignment": own, "kind": InstructorLog.Kind.VISIT, "held_on": date(2022, 3, 3), "notes": "走访"})
    att = attachments.attach(owner=log, upload=_upload("走访记录.pdf"), actor=SYSTEM, purpose="evidence")
    link = reverse("core:attachment", args=[att.token])
    edit = reverse("governance:log_edit", args=[log.pk])
    page = client_for(cast.instructor).get(reverse("governance:log_list")).content.decode()
    assert "走访记录.pdf" in page and link in page and edit in page
    assert client_for(cast.instructor).get(link).status_code == 200
    page = client_for(cast.secretary_a).get(reverse("governance:log_list")).content.decode()
    assert "走访" in page and edit not in page  # reads, may not edit
    assert Attachment.objects.count() == 1



def test_a_secretary_sees_their_org_at_its_rank_among_all(world, cast, client_for):
    from decimal import Decimal

    cl = services.checklist_save(actor=SYSTEM, values={"name": "规范化建设", "year": 2022},
                                 items=[("组织设置", Decimal(50)), ("三会一课", Decimal(50))])
    items = list(cl.items.all())
    for org, points in ((world.org_a, (20, 20)), (world.org_b, (45, 45))):
        services.assessment_save(actor=SYSTEM, values={"checklist": cl, "party_org": org,
                                                       "assessed_on": date(2022, 12, 10)},
                                 scores={i.pk: (Decimal(p), "台账") for i, p in zip(items, points, strict=True)})
    page = client_for(cast.secretary_a).get(reverse("governance:checklist_detail", args=[cl.pk])).content.decode()
    assert "娄底市安徽商会党支部" in page and "娄底市浙江商会党支部" not in page
    assert "<td>2</td><td>娄底市安徽商会党支部</td>" in page  # second of all, not first of one


def test_each_party_org_links_to_its_own_checks(world, cast, client_for):
    from fourfirsts.core import menu

    actions = menu.record_actions_for(cast.committee, world.org_a)
    [check] = [a for a in actions if a["label"] == "组织设置检查"]
    page = client_for(cast.committee).get(check["url"]).content.decode()
    assert "娄底市安徽商会党支部" in page and "娄底市浙江商会党支部" not in page
    assert not [a for a in menu.record_actions_for(cast.member_a, world.org_a) if a["label"] == "组织设置检查"]
