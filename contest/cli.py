"""Command-line tools: ``flask --app contest users create``, ``regions sync``, ``demo``,
``storage strip-metadata``, ``storage check`` (:mod:`contest.storage_check`); ``backup`` lives
in :mod:`contest.backup`."""

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from . import accounts, backup, regions, storage_check
from .extensions import db
from .models import Region, Role

users_cli = AppGroup("users", help="Accounts of organizers, coordinators and jurors.")
regions_cli = AppGroup("regions", help="The subjects of the Russian Federation.")
storage_cli = AppGroup("storage", help="The stored files (UPLOAD_FOLDER, or STORAGE_URL).")
storage_cli.add_command(storage_check.check_command)


@users_cli.command("create")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--region", "region_code", help="ISO 3166-2 code, for a coordinator (RU-MOW).")
@click.option("--password", help="Leave out to be asked, or give --generate.")
@click.option("--generate", is_flag=True, help="Generate a password and print it once.")
def create_user(role, email, name, region_code, password, generate):
    """Create an account, for example the first organizer."""
    region = None
    if region_code:
        region = db.session.scalar(select(Region).where(Region.code == region_code.upper()))
        if region is None:
            raise click.BadParameter(f"unknown region {region_code}", param_hint="--region")
    if Role(role) is Role.JUROR:
        raise click.UsageError("Jurors are added to a stage in the browser (Organizer → Accounts).")
    if generate:
        password = accounts.generate_password()
    elif not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(name, email, Role(role), password=password, region=region,
                                    must_change_password=generate)
    except accounts.AccountError as e:
        raise click.ClickException(str(e)) from e
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}" +
               (f" with password {password} (shown once; change it at first sign-in)"
                if generate else ""))


@regions_cli.command("sync")
def sync_regions():
    """Create or rename the regions from the ISO 3166-2 list."""
    changed = regions.sync()
    db.session.commit()
    click.echo(f"Regions up to date ({changed} changed).")


@click.command("demo")
@click.option("--entries", default=100, show_default=True, help="How many drawings to generate.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has a contest.")
def demo_command(entries, if_empty):
    """Fill the database with a living demo contest."""
    from . import demo

    if if_empty and demo.has_data():
        click.echo("The database already has data; demo skipped.")
        return
    demo.load(entries_count=entries, echo=click.echo)


@storage_cli.command("strip-metadata")
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
def strip_metadata(dry_run):
    """Remove the uploaded originals kept by earlier versions (they carry the camera's GPS
    position, EXIF and XMP) and strip metadata from every stored JPEG and PNG, losslessly."""
    from .uploads.cleaning import strip_stored_metadata

    verb = {"removed": "would remove", "remade": "would make", "stripped": "would strip"}

    def said(change):
        action = verb[change.action] if dry_run else change.action
        click.echo(f"{action} {change.key} ({_size(change.bytes_before)} → "
                   f"{_size(change.bytes_after)})")

    report = strip_stored_metadata(dry_run=dry_run, on_change=said)
    for key, why in report.problems:
        click.echo(f"{key}: {why}", err=True)
    click.echo(f"Checked {report.checked} files: "
               f"{report.count('removed')} originals removed, "
               f"{report.count('stripped')} files stripped, "
               f"{report.count('remade')} drawing files made from originals, "
               f"{_size(report.bytes_freed)} freed"
               + (" (dry run: nothing was changed)." if dry_run else "."))
    if report.problems:
        raise click.exceptions.Exit(1)


def _size(count: int) -> str:
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count} B"


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(regions_cli)
    app.cli.add_command(storage_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup.backup_cli)
