"""Files in and out of ITA Desk (JSON now, Excel later), with validation messages in Thai."""
