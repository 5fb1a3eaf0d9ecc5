"""wagtailgeowidget's LeafletPanel, loading Leaflet from our static files.

The stock ``LeafletField`` pulls leaflet.js and leaflet.css from unpkg.com; the admin
must work without internet access and inside China, so the same widget is served
with the Leaflet 1.9.4 we vendor in static/vendor/leaflet/.
"""

from wagtailgeowidget.panels import LeafletPanel
from wagtailgeowidget.widgets import LeafletField

from django import forms
from django.utils.functional import cached_property


class LocalLeafletField(LeafletField):
    @cached_property
    def media(self):
        return forms.Media(
            css={"all": ("vendor/leaflet/leaflet.css", "wagtailgeowidget/css/leaflet-field.css")},
            # Leaflet first: the widget's scripts call L.map() as soon as the controller connects.
            js=(
                "vendor/leaflet/leaflet.js",
                "wagtailgeowidget/js/leaflet-field.js",
                "wagtailgeowidget/js/leaflet-field-controller.js",
            ),
        )


class LocalLeafletPanel(LeafletPanel):
    def widget_overrides(self):
        widgets = super().widget_overrides()
        stock = widgets[self.field_name]
        widgets[self.field_name] = LocalLeafletField(
            address_field=stock.address_field,
            zoom_field=stock.zoom_field,
            hide_latlng=stock.hide_latlng,
            zoom=stock.zoom,
            srid=stock.srid,
            id_prefix=stock.id_prefix,
        )
        return widgets
