"""Cinema deliverables: DCP subtitles, Interop (CineCanvas) and SMPTE ST 428-7.

- ``toolkit.dcp.deliver.write_dcp(tracks, xml_path, DcpOptions(...)) -> DcpResult``
- ``toolkit.dcp.xml.read_dcp_xml(bytes, path) -> ReadSubtitles`` (header, events, fonts)
- ``toolkit.dcp.xsd.validate_xml(bytes) -> list[SchemaError]``
- ``toolkit.dcp.reader.read_dcp_track(text, path) -> Track`` (for the subtitle readers)
"""
