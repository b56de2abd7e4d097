package workcal

import "time"

// Show is how hoso shows a time to people, everywhere (console, CLI): in
// Vietnam's time zone, saying so — "06:04 28/11/2026 (giờ Việt Nam)", or
// "(Vietnam time)" when lang is "en". A zero time is "—". JSON keeps RFC 3339
// with its offset; this is for text only.
func Show(t time.Time, lang string) string {
	if t.IsZero() {
		return "—"
	}
	return Clock(t) + " " + ZoneLabel(lang)
}

// Clock is Show without the zone label, for a table whose header carries
// ZoneLabel once.
func Clock(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(Location).Format("15:04 02/01/2006")
}

// ZoneLabel says which time zone Show and Clock use.
func ZoneLabel(lang string) string {
	if lang == "en" {
		return "(Vietnam time)"
	}
	return "(giờ Việt Nam)"
}
