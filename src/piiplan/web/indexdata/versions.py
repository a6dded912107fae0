"""Creating and activating framework and dataset versions (always audited, always atomic)."""

from __future__ import annotations

import io

import pandas as pd
from django.db import transaction

from piiplan.engine import Dataset, Framework
from piiplan.web import audit
from piiplan.web.indexdata.models import DatasetVersion, FrameworkVersion, text_hash


def framework_csv(fw: Framework) -> str:
    df = fw.to_frame()
    df["parent"] = df["parent"].fillna("")
    return df.to_csv(index=False, lineterminator="\n")


def dataset_texts(ds: Dataset) -> tuple[str, str, str]:
    """(values, units, denominators) as CSV text in a canonical order, so equal data hash equally."""
    values = ds.values[["unit", "indicator", "year", "value"]].copy()
    values["year"] = values["year"].astype(int)
    values = values.sort_values(["year", "unit", "indicator"], kind="stable")
    values_csv = values.to_csv(index=False, lineterminator="\n", float_format="%.17g")
    units = ds.units.copy()
    units.index.name = "unit"
    units_csv = units.reset_index().to_csv(index=False, lineterminator="\n")
    dens = ds.denominators
    dens_csv = "" if dens is None or dens.empty else dens[["unit", "name", "year", "value"]].to_csv(
        index=False, lineterminator="\n", float_format="%.17g")
    return values_csv, units_csv, dens_csv


def find_or_create_framework(fw: Framework, *, request=None, user=None, source_name: str = "",
                             name: str | None = None, activate: bool = True, note: str = "") -> FrameworkVersion:
    """The version with this framework's content, created (and audited) if new; activated if asked."""
    with transaction.atomic():
        version = FrameworkVersion.objects.filter(fingerprint=fw.fingerprint).order_by("-at").first()
        if version is None:
            version = FrameworkVersion.objects.create(
                name=name or fw.name, source_name=source_name, nodes_csv=framework_csv(fw),
                fingerprint=fw.fingerprint, imported_by=user or _user(request), note=note)
            audit.record(request, "framework_import", version, user=user,
                         note=f"{len(fw.indicators)} chỉ số, {len(fw.nodes)} nút; tệp {source_name or '—'}")
        if activate and not version.active:
            activate_framework(version, request=request, user=user)
    return version


def create_dataset(ds: Dataset, framework: FrameworkVersion, *, request=None, user=None, source_name: str = "",
                   name: str = "", synthetic: bool = False, published: bool = False, activate: bool = True,
                   note: str = "", copied_from: DatasetVersion | None = None) -> DatasetVersion:
    """A new version (audited). ``published`` only takes effect when no version is public yet:
    replacing the public version goes through :func:`publish` and its confirmation."""
    values_csv, units_csv, dens_csv = dataset_texts(ds)
    filled = ds.values["value"].notna()
    years = ds.years
    with transaction.atomic():
        if published and DatasetVersion.objects.filter(published=True).exists():
            published = False
        version = DatasetVersion.objects.create(
            framework=framework, name=name or source_name or "Bộ dữ liệu", source_name=source_name,
            values_csv=values_csv, units_csv=units_csv, denominators_csv=dens_csv,
            content_hash=text_hash(values_csv, units_csv, dens_csv), uploaded_by=user or _user(request),
            n_units=len(ds.units), n_indicators=ds.values.loc[filled, "indicator"].nunique(),
            n_years=len(years), n_values=int(filled.sum()), years=",".join(map(str, years)),
            synthetic=synthetic, published=published, note=note, copied_from=copied_from)
        origin = "mô phỏng" if synthetic else "chính thức"
        copied = f"; sao chép từ #{copied_from.pk}" if copied_from is not None else ""
        audit.record(request, "dataset_import", version, user=user,
                     note=f"{version.n_values} giá trị; năm {version.years}; tệp {source_name or '—'}; "
                          f"dữ liệu {origin}{copied}")
        if activate:
            activate_dataset(version, request=request, user=user)
    return version


def activate_dataset(version: DatasetVersion, *, request=None, user=None) -> None:
    with transaction.atomic():
        previous = DatasetVersion.objects.select_for_update().filter(active=True).exclude(pk=version.pk)
        before = list(previous.values_list("pk", flat=True))
        previous.update(active=False)
        version.active = True
        version.save(update_fields=["active"])
        audit.record(request, "dataset_activate", version, user=user,
                     before={"active": before}, after={"active": [version.pk]})


def activate_framework(version: FrameworkVersion, *, request=None, user=None) -> None:
    with transaction.atomic():
        previous = FrameworkVersion.objects.select_for_update().filter(active=True).exclude(pk=version.pk)
        before = list(previous.values_list("pk", flat=True))
        previous.update(active=False)
        version.active = True
        version.save(update_fields=["active"])
        audit.record(request, "framework_activate", version, user=user,
                     before={"active": before}, after={"active": [version.pk]})


class PublicationRefused(Exception):
    """Publishing is not allowed as asked; ``str()`` is the Vietnamese reason."""


def publish(version: DatasetVersion, *, request=None, user=None, acknowledge_synthetic: bool = False) -> list[int]:
    """Make ``version`` the one public version: the previous one is unpublished in the same
    transaction (the database allows only one). Synthetic data needs ``acknowledge_synthetic``;
    it stays labelled "Dữ liệu mô phỏng" on every page. Returns the pks that were unpublished."""
    if version.synthetic and not acknowledge_synthetic:
        raise PublicationRefused("Phiên bản này là dữ liệu mô phỏng: hãy đánh dấu ô xác nhận rằng bạn biết đây "
                                 "không phải số liệu chính thức (các trang vẫn ghi nhãn «Dữ liệu mô phỏng»).")
    with transaction.atomic():
        fresh = DatasetVersion.objects.select_for_update().get(pk=version.pk)
        previous = DatasetVersion.all_objects.select_for_update().filter(published=True).exclude(pk=fresh.pk)
        before = list(previous.values_list("pk", flat=True))
        previous.update(published=False)
        fresh.published = True
        fresh.save(update_fields=["published"])
        note = "dữ liệu mô phỏng (đã xác nhận)" if fresh.synthetic else "dữ liệu chính thức"
        audit.record(request, "dataset_publish", fresh, user=user, before={"published": before},
                     after={"published": [fresh.pk]}, note=f"{note}; tệp {fresh.source_name or '—'}")
    version.published = True
    return before


def unpublish(version: DatasetVersion, *, request=None, user=None) -> None:
    with transaction.atomic():
        updated = DatasetVersion.all_objects.filter(pk=version.pk, published=True).update(published=False)
        if updated:
            audit.record(request, "dataset_unpublish", version, user=user, before={"published": True},
                         after={"published": False})
    version.published = False


def set_published(version: DatasetVersion, published: bool, *, request=None, acknowledge_synthetic=False) -> None:
    if published:
        publish(version, request=request, acknowledge_synthetic=acknowledge_synthetic)
    else:
        unpublish(version, request=request)


def _user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def read_values_csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype={"unit": str, "indicator": str, "year": int, "value": float})
