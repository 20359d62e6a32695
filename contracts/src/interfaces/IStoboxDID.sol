// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title StoboxDID-compatible identity registry API (stv3.md §5, ST4DIDSC `ISDID`).
/// @dev Same function, event and error signatures as StoboxDID so that callers and indexers work
///      unchanged. A uDID is a free-form string; this project passes a W3C DID URI (`did:key:…`).
///      Events index the uDID as `string indexed`, so the topic is `keccak256(bytes(uDID))`.
interface IStoboxDID {
    struct ParamAttribute {
        address walletAddress;
        string attributeName;
        bytes value;
        string valueType;
        uint256 validToData; // 0 = never expires
    }

    event DIDCreated(string indexed UDID, string UDID_, address indexed createdBy);
    event DIDAddressLinked(string indexed UDID, string UDID_, address indexed addedAddress, address indexed updatedBy);
    event DIDAddressDeleted(
        string indexed UDID, string UDID_, address indexed deletedAddress, address indexed updatedBy
    );
    event DIDAddressDeactivated(
        string indexed UDID, string UDID_, address indexed deactivatedAddress, address indexed updatedBy
    );
    event DIDAddressActivated(
        string indexed UDID, string UDID_, address indexed activatedAddress, address indexed updatedBy
    );
    event DIDValidToDateUpdated(
        string indexed UDID, string UDID_, uint256 oldValidTo, uint256 indexed newValidTo, address indexed updatedBy
    );
    event DIDBlockStatusUpdated(
        string indexed UDID, string UDID_, bool indexed newBlockStatus, address indexed updatedBy, string reasonDescription
    );
    event AttributeCreated(string indexed UDID, string UDID_, string indexed attributeName, address indexed createdBy);
    event AttributeUpdated(string indexed UDID, string UDID_, string indexed attributeName, address indexed updatedBy);
    event AttributeDeactivated(
        string indexed UDID, string UDID_, string indexed attributeName, address indexed deactivatedBy
    );
    event NewExternalReaderAdded(
        string indexed UDID,
        string UDID_,
        address indexed newExternalReader,
        uint256 accessExpirationDate,
        address indexed addedBy
    );
    event ExternalReaderUdated( // sic, as StoboxDID spells it
        string indexed UDID,
        string UDID_,
        address indexed newExternalReader,
        uint256 accessExpirationDate,
        address indexed updatedBy
    );
    event ExternalReaderDeleted(
        string indexed UDID, string UDID_, address indexed deletedExternalReader, address indexed updatedBy
    );
    event AttributeListWasRead(string indexed UDID, string UDID_, address whoRead);
    event LinkedAddressesListWasRead(string indexed UDID, string UDID_, address whoRead);

    error CantRevokeLastSuperAdmin();
    error CantRemoveLastLinkedAddress();
    error DIDAlreadyExists(string UDID);
    error DIDDoesNotExist(string UDID);
    error ZeroAddressNotAllowed();
    error AddressAlreadyLinkedToDID(address alreadyLinkedAddress, string uDIDLinked);
    error AddressDoesNotLinkedToDID(address notLinkedAddress);
    error AddressDoesNotHaveLinker(address addressWithoutLinker);
    error AddressAlreadyDeactivated(address alreadyDeactivatedAddress);
    error AddressAlreadyActivated(address alreadyActivatedAddress);
    error NotAuthorizedForThisTransaction(address caller);
    error DIDIsBlocked(string UDID);
    error DIDIsNotBlocked(string UDID);
    error MaxLinkedAddressesExceeded(string UDID, uint256 maxAllowed);
    error AddressIsNotExternalReader(string UDID, address notReaderAddress);

    // Writer (WRITER_ROLE) operations.
    function createDID(string calldata uDID, address userWallet, uint256 validToDate, bool blocked) external;
    function addOrUpdateAttributes(ParamAttribute[] calldata attributes) external;
    function addOrUpdateAttributes(bytes[] calldata attributes) external;
    function prolongateDID(string calldata uDID, uint256 newValidTo) external returns (uint256);
    function blockDID(string calldata uDID, string calldata reasonToBlock) external returns (bool);
    function unBlockDID(string calldata uDID, string calldata reasonToUnblock) external returns (bool);
    function removeLinkedAddress(address addressToDelete) external returns (bool);
    function deactivateDIDAttribute(string calldata uDID, string calldata attributeName) external;

    // Writer or DID owner (an active wallet of the same DID).
    function linkAddressToDID(address existingDIDAddress, address addressToLink) external;
    function deactivateAddressOfDID(address addressToDeactivate) external returns (bool);
    function activateAddressOfDID(address addressToActivate) external returns (bool);

    // Ungated views; they revert for a wallet that is not linked (as StoboxDID does).
    function getUserDID(address walletAddress)
        external
        view
        returns (string memory UDID, uint256 validTo, uint256 updatedAt, bool blocked, address lastUpdatedBy);
    function getAttribute(address walletAddress, string calldata attributeName)
        external
        view
        returns (
            bytes memory value,
            string memory valueType,
            uint256 createdAt,
            uint256 updatedAt,
            uint256 validTo,
            address lastUpdatedBy
        );
    function getLinker(address walletAddress)
        external
        view
        returns (string memory uDID, uint256 joinDate, uint256 updateDate, bool deactivated);
}
