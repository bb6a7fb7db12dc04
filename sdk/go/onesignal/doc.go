// OneSignal apps, API keys, segments and templates as code.
package onesignal
