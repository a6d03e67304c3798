"""Kommune, User and Adgangslog, moved from ``cases`` (issue 19) with their tables' names kept.

On a fresh database this creates the three tables. A database migrated before the move already
has them (cases.0001_initial created them): there the ``migrate`` command of ky.core records this
migration as applied before Django checks the history (ky/core/management/commands/migrate.py),
so nothing is created, copied or dropped."""

import django.contrib.auth.models
import django.contrib.auth.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='Kommune',
            fields=[
                ('kode', models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ('navn', models.CharField(max_length=60)),
            ],
            options={
                'db_table': 'cases_kommune',
                'verbose_name_plural': 'kommuner',
                'ordering': ['kode'],
            },
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('role', models.CharField(choices=[('sagsbehandler', 'Sagsbehandler'), ('kommuneadmin', 'Kommuneadministrator'), ('drift', 'Drift'), ('jobcenter', 'Jobcenter'), ('star', 'STAR'), ('faggruppe', 'Faggruppe')], default='sagsbehandler', max_length=20, verbose_name='rolle')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
                ('kommuner', models.ManyToManyField(blank=True, related_name='brugere', to='core.kommune')),
            ],
            options={
                'db_table': 'cases_user',
                'verbose_name': 'bruger',
                'verbose_name_plural': 'brugere',
            },
            managers=[
                ('objects', django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='Adgangslog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('brugernavn', models.CharField(max_length=150)),
                ('tidspunkt', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('cpr', models.CharField(db_index=True, max_length=10)),
                ('visning', models.CharField(max_length=200)),
                ('bruger', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'cases_adgangslog',
                'verbose_name': 'adgangslog',
                'verbose_name_plural': 'adgangslog',
                'ordering': ['-tidspunkt'],
            },
        ),
    ]
