// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControlEnumerable} from "@openzeppelin/contracts/access/extensions/AccessControlEnumerable.sol";
import {IStoboxDID} from "./interfaces/IStoboxDID.sol";

/// @title StvDID: a StoboxDID-compatible identity registry (stv3.md §5, §7 rows 6-11).
/// @dev Records are keyed internally by keccak256(bytes(uDID)), the same value the indexed event
///      topic carries (stv3.md §7 design choice 3). The wallet list is kept once per DID rather than
///      copied into every wallet's linker; the external ABI is unchanged.
contract StvDID is IStoboxDID, AccessControlEnumerable {
    bytes32 public constant WRITER_ROLE = keccak256("WRITER_ROLE");
    bytes32 public constant ATTRIBUTE_READER_ROLE = keccak256("ATTRIBUTE_READER_ROLE");

    /// @notice Cap on wallets per DID (StoboxDID default 10).
    uint256 public MAX_DID_LINKED_ADDRESSES = 10;

    /// @dev Not in StoboxDID: an empty uDID would be indistinguishable from "no DID".
    error EmptyUDID();

    struct Attribute {
        bytes value;
        string valueType;
        uint256 createdAt;
        uint256 updatedAt;
        uint256 validTo; // 0 = deactivated
        address lastUpdatedBy;
    }

    struct Record {
        string uDID;
        uint256 validTo;
        uint256 updatedAt; // non-zero once created
        bool blocked;
        address lastUpdatedBy;
        string[] attributeList;
        address[] wallets;
        mapping(string => Attribute) attributes;
        mapping(address => uint256) externalReader;
    }

    struct Link {
        bytes32 key;
        uint256 joinDate; // non-zero while linked
        uint256 updateDate;
        bool deactivated;
    }

    mapping(bytes32 => Record) private _dids;
    mapping(address => Link) private _links;

    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddressNotAllowed();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---------------------------------------------------------------- writer operations

    function createDID(string calldata uDID, address userWallet, uint256 validToDate, bool blocked)
        external
        onlyRole(WRITER_ROLE)
    {
        if (bytes(uDID).length == 0) revert EmptyUDID();
        _requireLinkable(userWallet);
        bytes32 key = keccak256(bytes(uDID));
        Record storage rec = _dids[key];
        if (rec.updatedAt != 0) revert DIDAlreadyExists(uDID);

        rec.uDID = uDID;
        rec.validTo = _validTo(validToDate);
        rec.blocked = blocked;
        _touch(rec);
        emit DIDCreated(uDID, uDID, msg.sender);

        _link(key, rec, userWallet);
    }

    function addOrUpdateAttributes(ParamAttribute[] calldata attributes) external onlyRole(WRITER_ROLE) {
        for (uint256 i = 0; i < attributes.length; i++) {
            ParamAttribute calldata a = attributes[i];
            _setAttribute(a.walletAddress, a.attributeName, a.value, a.valueType, a.validToData);
        }
    }

    /// @notice Overload taking abi.encode(address wallet, string name, bytes value, string valueType, uint256 validTo).
    function addOrUpdateAttributes(bytes[] calldata attributes) external onlyRole(WRITER_ROLE) {
        for (uint256 i = 0; i < attributes.length; i++) {
            (address wallet, string memory name, bytes memory value, string memory valueType, uint256 validTo) =
                abi.decode(attributes[i], (address, string, bytes, string, uint256));
            _setAttribute(wallet, name, value, valueType, validTo);
        }
    }

    function prolongateDID(string calldata uDID, uint256 newValidTo) external onlyRole(WRITER_ROLE) returns (uint256) {
        Record storage rec = _existing(uDID);
        emit DIDValidToDateUpdated(uDID, uDID, rec.validTo, newValidTo, msg.sender);
        rec.validTo = _validTo(newValidTo);
        _touch(rec);
        return rec.validTo;
    }

    function blockDID(string calldata uDID, string calldata reasonToBlock)
        external
        onlyRole(WRITER_ROLE)
        returns (bool)
    {
        Record storage rec = _existing(uDID);
        if (rec.blocked) revert DIDIsBlocked(uDID);
        rec.blocked = true;
        emit DIDBlockStatusUpdated(uDID, uDID, true, msg.sender, reasonToBlock);
        _touch(rec);
        return true;
    }

    function unBlockDID(string calldata uDID, string calldata reasonToUnblock)
        external
        onlyRole(WRITER_ROLE)
        returns (bool)
    {
        Record storage rec = _existing(uDID);
        if (!rec.blocked) revert DIDIsNotBlocked(uDID);
        rec.blocked = false;
        emit DIDBlockStatusUpdated(uDID, uDID, false, msg.sender, reasonToUnblock);
        _touch(rec);
        return true;
    }

    /// @notice Unlink a wallet; never the last one of a DID.
    function removeLinkedAddress(address addressToDelete) external onlyRole(WRITER_ROLE) returns (bool) {
        Link storage link = _linked(addressToDelete);
        Record storage rec = _dids[link.key];
        uint256 len = rec.wallets.length;
        if (len <= 1) revert CantRemoveLastLinkedAddress();
        for (uint256 i = 0; i < len; i++) {
            if (rec.wallets[i] == addressToDelete) {
                rec.wallets[i] = rec.wallets[len - 1];
                rec.wallets.pop();
                break;
            }
        }
        delete _links[addressToDelete];
        emit DIDAddressDeleted(rec.uDID, rec.uDID, addressToDelete, msg.sender);
        _touch(rec);
        return true;
    }

    function deactivateDIDAttribute(string calldata uDID, string calldata attributeName)
        external
        onlyRole(WRITER_ROLE)
    {
        Record storage rec = _existing(uDID);
        rec.attributes[attributeName].validTo = 0;
        emit AttributeDeactivated(uDID, uDID, attributeName, msg.sender);
        _touch(rec);
    }

    function setMaxDIDLinkedAddresses(uint256 newMaxAllowed) external onlyRole(DEFAULT_ADMIN_ROLE) returns (uint256) {
        MAX_DID_LINKED_ADDRESSES = newMaxAllowed;
        return newMaxAllowed;
    }

    // ---------------------------------------------------------------- writer or DID owner

    function linkAddressToDID(address existingDIDAddress, address addressToLink) external {
        Link storage existing = _linked(existingDIDAddress);
        _requireLinkable(addressToLink);
        _requireWriterOrOwner(existingDIDAddress);
        Record storage rec = _dids[existing.key];
        if (rec.wallets.length >= MAX_DID_LINKED_ADDRESSES) {
            revert MaxLinkedAddressesExceeded(rec.uDID, MAX_DID_LINKED_ADDRESSES);
        }
        _link(existing.key, rec, addressToLink);
        _touch(rec);
    }

    function deactivateAddressOfDID(address addressToDeactivate) external returns (bool) {
        Link storage link = _linked(addressToDeactivate);
        _requireWriterOrOwner(addressToDeactivate);
        if (link.deactivated) revert AddressAlreadyDeactivated(addressToDeactivate);
        link.deactivated = true;
        link.updateDate = block.timestamp;
        Record storage rec = _dids[link.key];
        emit DIDAddressDeactivated(rec.uDID, rec.uDID, addressToDeactivate, msg.sender);
        _touch(rec);
        return true;
    }

    function activateAddressOfDID(address addressToActivate) external returns (bool) {
        Link storage link = _linked(addressToActivate);
        _requireWriterOrOwner(addressToActivate);
        if (!link.deactivated) revert AddressAlreadyActivated(addressToActivate);
        link.deactivated = false;
        link.updateDate = block.timestamp;
        Record storage rec = _dids[link.key];
        emit DIDAddressActivated(rec.uDID, rec.uDID, addressToActivate, msg.sender);
        _touch(rec);
        return true;
    }

    // ---------------------------------------------------------------- external readers

    function addOrUpdateExternalReader(string calldata uDID, address reader, uint256 expirationDate)
        external
        onlyRole(WRITER_ROLE)
        returns (bool)
    {
        _setReader(_existing(uDID), reader, expirationDate);
        return true;
    }

    /// @notice The DID owner grants a reader access to its own DID.
    function addOrUpdateExternalReader(address reader, uint256 expirationDate) external returns (bool) {
        _setReader(_ownRecord(), reader, expirationDate);
        return true;
    }

    function deleteExternalReader(string calldata uDID, address reader) external onlyRole(WRITER_ROLE) returns (bool) {
        _deleteReader(_existing(uDID), reader);
        return true;
    }

    function deleteExternalReader(address reader) external returns (bool) {
        _deleteReader(_ownRecord(), reader);
        return true;
    }

    // ---------------------------------------------------------------- gated reads (emit an audit event)

    function readAttributeList(address walletAddress) external returns (string[] memory) {
        Record storage rec = _readable(walletAddress);
        emit AttributeListWasRead(rec.uDID, rec.uDID, msg.sender);
        return rec.attributeList;
    }

    function readLinkedAddresses(address walletAddress) external returns (address[] memory) {
        Record storage rec = _readable(walletAddress);
        emit LinkedAddressesListWasRead(rec.uDID, rec.uDID, msg.sender);
        return rec.wallets;
    }

    // ---------------------------------------------------------------- ungated views

    function getUserDID(address walletAddress)
        external
        view
        returns (string memory UDID, uint256 validTo, uint256 updatedAt, bool blocked, address lastUpdatedBy)
    {
        Record storage rec = _dids[_linked(walletAddress).key];
        return (rec.uDID, rec.validTo, rec.updatedAt, rec.blocked, rec.lastUpdatedBy);
    }

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
        )
    {
        Attribute storage a = _dids[_linked(walletAddress).key].attributes[attributeName];
        return (a.value, a.valueType, a.createdAt, a.updatedAt, a.validTo, a.lastUpdatedBy);
    }

    function getLinker(address walletAddress)
        external
        view
        returns (string memory uDID, uint256 joinDate, uint256 updateDate, bool deactivated)
    {
        Link storage link = _links[walletAddress];
        if (link.joinDate == 0) revert AddressDoesNotHaveLinker(walletAddress);
        return (_dids[link.key].uDID, link.joinDate, link.updateDate, link.deactivated);
    }

    function canRead(string calldata uDID, address reader) public view returns (bool) {
        return hasRole(ATTRIBUTE_READER_ROLE, reader) || externalReaderExpirationDate(uDID, reader) > block.timestamp;
    }

    function externalReaderExpirationDate(string calldata uDID, address reader) public view returns (uint256) {
        return _dids[keccak256(bytes(uDID))].externalReader[reader];
    }

    // ---------------------------------------------------------------- internals

    function _setAttribute(
        address wallet,
        string memory name,
        bytes memory value,
        string memory valueType,
        uint256 validTo
    ) internal {
        Record storage rec = _dids[_linked(wallet).key];
        Attribute storage a = rec.attributes[name];
        if (a.createdAt == 0) {
            a.createdAt = block.timestamp;
            rec.attributeList.push(name);
            emit AttributeCreated(rec.uDID, rec.uDID, name, msg.sender);
        } else {
            emit AttributeUpdated(rec.uDID, rec.uDID, name, msg.sender);
        }
        a.value = value;
        a.valueType = valueType;
        a.updatedAt = block.timestamp;
        a.validTo = _validTo(validTo);
        a.lastUpdatedBy = msg.sender;
        _touch(rec);
    }

    function _link(bytes32 key, Record storage rec, address wallet) internal {
        rec.wallets.push(wallet);
        _links[wallet] = Link({key: key, joinDate: block.timestamp, updateDate: block.timestamp, deactivated: false});
        emit DIDAddressLinked(rec.uDID, rec.uDID, wallet, msg.sender);
    }

    function _setReader(Record storage rec, address reader, uint256 expirationDate) internal {
        if (reader == address(0)) revert ZeroAddressNotAllowed();
        if (rec.externalReader[reader] == 0) {
            emit NewExternalReaderAdded(rec.uDID, rec.uDID, reader, expirationDate, msg.sender);
        } else {
            emit ExternalReaderUdated(rec.uDID, rec.uDID, reader, expirationDate, msg.sender);
        }
        rec.externalReader[reader] = _validTo(expirationDate);
        _touch(rec);
    }

    function _deleteReader(Record storage rec, address reader) internal {
        if (rec.externalReader[reader] == 0) revert AddressIsNotExternalReader(rec.uDID, reader);
        delete rec.externalReader[reader];
        emit ExternalReaderDeleted(rec.uDID, rec.uDID, reader, msg.sender);
        _touch(rec);
    }

    function _ownRecord() internal view returns (Record storage) {
        Link storage own = _links[msg.sender];
        if (own.joinDate == 0 || own.deactivated) revert NotAuthorizedForThisTransaction(msg.sender);
        return _dids[own.key];
    }

    function _readable(address wallet) internal view returns (Record storage rec) {
        rec = _dids[_linked(wallet).key];
        if (!hasRole(ATTRIBUTE_READER_ROLE, msg.sender) && rec.externalReader[msg.sender] <= block.timestamp) {
            revert NotAuthorizedForThisTransaction(msg.sender);
        }
    }

    function _existing(string calldata uDID) internal view returns (Record storage rec) {
        rec = _dids[keccak256(bytes(uDID))];
        if (rec.updatedAt == 0) revert DIDDoesNotExist(uDID);
    }

    function _linked(address wallet) internal view returns (Link storage link) {
        link = _links[wallet];
        if (link.joinDate == 0) revert AddressDoesNotLinkedToDID(wallet);
    }

    function _requireLinkable(address wallet) internal view {
        if (wallet == address(0)) revert ZeroAddressNotAllowed();
        Link storage link = _links[wallet];
        if (link.joinDate != 0) revert AddressAlreadyLinkedToDID(wallet, _dids[link.key].uDID);
    }

    /// @dev StoboxDID's `writerOrDIDOwner`: a writer, or an active wallet of the same DID.
    function _requireWriterOrOwner(address referenceWallet) internal view {
        if (hasRole(WRITER_ROLE, msg.sender)) return;
        Link storage caller = _links[msg.sender];
        if (caller.joinDate == 0 || caller.deactivated || caller.key != _links[referenceWallet].key) {
            revert NotAuthorizedForThisTransaction(msg.sender);
        }
    }

    function _touch(Record storage rec) internal {
        rec.updatedAt = block.timestamp;
        rec.lastUpdatedBy = msg.sender;
    }

    function _validTo(uint256 validTo) internal pure returns (uint256) {
        return validTo == 0 ? type(uint256).max : validTo;
    }

    function _revokeRole(bytes32 role, address account) internal override returns (bool) {
        if (role == DEFAULT_ADMIN_ROLE && hasRole(role, account) && getRoleMemberCount(role) <= 1) {
            revert CantRevokeLastSuperAdmin();
        }
        return super._revokeRole(role, account);
    }
}
