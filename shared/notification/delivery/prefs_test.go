package delivery_test

import "ohcs/shared/notification"

// notificationPrefs are quiet hours from 07:00 to 09:00 UTC.
func notificationPrefs() notification.Preferences {
	return notification.Preferences{QuietStart: 7 * 60, QuietEnd: 9 * 60, TimeZone: "UTC"}
}
