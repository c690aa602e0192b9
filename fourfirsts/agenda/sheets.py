"""The agenda's workbook sheets (docs/workbook.md is generated from these).
Rows reference the registry's 党组织 and 人员 by 编号; saves go through
`services` with the record's own date as history time."""

from fourfirsts.agenda import services
from fourfirsts.agenda.models import (
    Attendance,
    ClassParticipant,
    Lecture,
    Meeting,
    MeetingTopic,
    Topic,
    TopicPush,
    TrainingClass,
)
from fourfirsts.core.sheets import Col, Sheet, register


def labels(choices) -> dict[str, str]:
    return {code: str(label) for code, label in choices}


def _via_meeting(model):
    def rows(scope):
        return model.objects.filter(meeting__in=Meeting.objects.visible_to(scope))

    return rows


register(Sheet(
    name="第一议题", model=Topic, order=200, app="agenda",
    columns=(
        Col("标题", "name", required=True),
        Col("类别", "kind", "choice", required=True, choices=labels(Topic.Kind.choices)),
        Col("发布日期", "released_on", "date", required=True),
        Col("来源", "source"),
        Col("链接", "link"),
        Col("涉及民营经济", "on_private_economy", "bool"),
    ),
    save=lambda *, actor, values, instance: services.topic_save(actor=actor, values=values, topic=instance),
    help="商协会党委维护的第一议题学习内容。",
))

register(Sheet(
    name="议题推送", model=TopicPush, order=210, app="agenda",
    columns=(
        Col("议题", "topic", "ref", required=True, ref="第一议题"),
        Col("党组织", "party_org", "ref", required=True, ref="党组织"),
        Col("推送日期", "pushed_on", "date", required=True),
    ),
    save=lambda *, actor, values, instance: services.topic_push_save(actor=actor, values=values, instance=instance),
    help="议题推送给党组织后，列入该党组织的待学习清单。",
))

register(Sheet(
    name="会议", model=Meeting, order=220, app="agenda",
    columns=(
        Col("党组织", "party_org", "ref", required=True, ref="党组织"),
        Col("类型", "kind", "choice", required=True, choices=labels(Meeting.Kind.choices)),
        Col("主题", "title", required=True),
        Col("日期", "held_on", "date", required=True),
        Col("开始时间", "start_time", required=True, help="HH:MM，北京时间"),
        Col("地点", "place"),
        Col("主持人", "chair", "ref", ref="人员"),
        Col("记录人", "recorder", "ref", ref="人员"),
        Col("领学人/授课人", "study_leader", "ref", ref="人员"),
        Col("列席人员", "observers"),
        Col("议程", "agenda"),
        Col("第一议题", "first_topic", "ref", ref="第一议题"),
        Col("未学习第一议题的原因", "no_topic_reason",
            help="党委会、支委会、支部党员大会、理论学习中心组学习没有第一议题时必填"),
        Col("学习形式", "study_form", "choice", choices=labels(Meeting.StudyForm.choices)),
        Col("会议纪要", "summary"),
        Col("会议决定", "decisions"),
        Col("落实措施", "follow_up"),
    ),
    save=lambda *, actor, values, instance: services.meeting_save(actor=actor, values=values, meeting=instance),
    help="三会一课、主题党日、组织生活会、民主评议党员和理论学习。应到、实到人数由“会议出席”计算。",
))

register(Sheet(
    name="会议议题", model=MeetingTopic, order=230, app="agenda", queryset=_via_meeting(MeetingTopic),
    columns=(
        Col("会议", "meeting", "ref", required=True, ref="会议"),
        Col("议题", "topic", "ref", required=True, ref="第一议题"),
    ),
    save=lambda *, actor, values, instance: services.meeting_topic_save(actor=actor, values=values,
                                                                         instance=instance),
    help="会议在第一议题之外学习的其他议题（第一议题见“会议”表）。",
))

register(Sheet(
    name="会议出席", model=Attendance, order=240, app="agenda", queryset=_via_meeting(Attendance),
    columns=(
        Col("会议", "meeting", "ref", required=True, ref="会议"),
        Col("人员", "person", "ref", required=True, ref="人员"),
        Col("出席", "present", "bool"),
        Col("缺席原因", "reason"),
    ),
    save=lambda *, actor, values, instance: services.attendance_save(actor=actor, values=values, instance=instance),
    help="人员须在会议当天是该党组织的党员。",
))

register(Sheet(
    name="培训班", model=TrainingClass, order=250, app="agenda",
    columns=(
        Col("名称", "name", required=True),
        Col("形式", "mode", "choice", required=True, choices=labels(TrainingClass.Mode.choices)),
        Col("开始日期", "starts_on", "date", required=True),
        Col("结束日期", "ends_on", "date", required=True),
        Col("学时", "hours", "decimal"),
        Col("主办单位", "organiser"),
    ),
    save=lambda *, actor, values, instance: services.training_class_save(actor=actor, values=values,
                                                                          training_class=instance),
))

register(Sheet(
    name="培训班学员", model=ClassParticipant, order=255, app="agenda",
    columns=(
        Col("培训班", "training_class", "ref", required=True, ref="培训班"),
        Col("人员", "person", "ref", required=True, ref="人员"),
        Col("结业", "completed", "bool"),
    ),
    save=lambda *, actor, values, instance: services.class_participant_save(actor=actor, values=values,
                                                                             instance=instance),
))

register(Sheet(
    name="讲座", model=Lecture, order=260, app="agenda",
    columns=(
        Col("主题", "title", required=True),
        Col("主讲人", "speaker", required=True),
        Col("日期", "held_on", "date", required=True),
        Col("地点", "place"),
        Col("听众人数", "audience", "int"),
    ),
    save=lambda *, actor, values, instance: services.lecture_save(actor=actor, values=values, lecture=instance),
    help="讲座系列（默认名称“娄商大讲堂”，可在规则设置中修改）的各期。",
))
