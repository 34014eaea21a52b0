"""cunshe (村社): the county platform for village and community committees."""
