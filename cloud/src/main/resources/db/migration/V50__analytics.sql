-- Call analytics: the kind of number each ticket called, for costs by destination type.
-- Filled at ingest from the clear number (which is not stored); null for older rows and for
-- tickets without an external number.
ALTER TABLE call_record ADD COLUMN destination_type text
  CHECK (destination_type IN ('mobile', 'geographic', 'non_geographic', 'special',
                              'international', 'emergency', 'other'));
