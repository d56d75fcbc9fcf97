"""SQL of the notify context, by aggregate: deliveries, reminder claims, preferences."""
