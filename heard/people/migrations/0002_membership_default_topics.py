"""The topics and service areas people can choose when they join (a fresh install needs them).

Idempotent: topics are matched by slug, so running again (or after an administrator has
renamed one) creates nothing twice. Reversing leaves the topics in place: members may
have chosen them.
"""

from django.db import migrations

DEFAULT_TOPICS = [
    ("gp-and-primary-care", "GP and primary care", "service_area"),
    ("mental-health", "Mental health", "service_area"),
    ("urgent-and-emergency-care", "Urgent and emergency care", "service_area"),
    ("maternity", "Maternity", "service_area"),
    ("children-and-young-people", "Children and young people", "service_area"),
    ("cancer", "Cancer", "service_area"),
    ("community-services", "Community services", "service_area"),
    ("pharmacy", "Pharmacy", "service_area"),
    ("dentistry", "Dentistry", "service_area"),
    ("hospital-services", "Hospital services", "service_area"),
    ("social-care", "Social care", "service_area"),
    ("digital-services", "Digital services and apps", "topic"),
    ("health-inequalities", "Health inequalities", "topic"),
    ("transport-and-access", "Transport and getting to services", "topic"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("people", "Topic")
    for slug, name, kind in DEFAULT_TOPICS:
        if Topic.objects.filter(slug=slug).exists() or Topic.objects.filter(name=name).exists():
            continue
        Topic.objects.create(slug=slug, name=name, kind=kind, active=True)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_topics, migrations.RunPython.noop),
    ]
