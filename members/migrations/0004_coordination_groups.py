from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_groups(apps, schema_editor):
    # Permissions are normally created after `migrate`; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    from members.territory import sync_groups

    sync_groups(apps)


def delete_groups(apps, schema_editor):
    from members.territory import NATIONAL_GROUP, TERRITORIAL_GROUP

    apps.get_model("auth", "Group").objects.filter(
        name__in=[NATIONAL_GROUP, TERRITORIAL_GROUP]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("charter", "0003_load_version_1"),
        ("members", "0003_coordinator_scope_and_reminders"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
